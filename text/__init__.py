"""Language data and text handling shared by the ingest side (``index``) and the query side
(``retrieval``); it depends on neither."""
