"""The plain LangChain pipeline Warta is measured against: RecursiveCharacterTextSplitter (1000/200)
over the raw files, Chroma similarity search with the same embedder, the top chunk as the answer."""

from __future__ import annotations

import uuid
from pathlib import Path

from index.articles import ArticleError, decode_article_bytes, list_article_files
from retrieval.answer import Answer, Citation, Retrieved


class TopChunkBaseline:
    def __init__(self, corpus: Path, embedder) -> None:
        import chromadb
        from chromadb.config import Settings
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from index.store import langchain_embeddings

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)
        docs: list[Document] = []
        self.titles: dict[str, str] = {}
        for path in list_article_files(corpus):
            try:
                text = decode_article_bytes(path.read_bytes())
            except (ArticleError, OSError):
                continue
            doc_id = path.relative_to(corpus).as_posix()
            self.titles[doc_id] = text.strip().splitlines()[0].strip()
            docs.extend(splitter.split_documents([Document(page_content=text, metadata={"doc_id": doc_id})]))
        client = chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False))
        self.store = Chroma(
            client=client,
            collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
            embedding_function=langchain_embeddings(embedder),
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        for i, doc in enumerate(docs):
            doc.metadata["chunk_id"] = f"{doc.metadata['doc_id']}~{i}"
        if docs:
            self.store.add_documents(docs, ids=[d.metadata["chunk_id"] for d in docs])
        self.chunk_text = {d.metadata["chunk_id"]: d.page_content for d in docs}

    def rank(self, question: str, k: int) -> list[tuple[str, str]]:
        return [(d.metadata["doc_id"], d.page_content) for d in self.store.similarity_search(question, k=k)]

    def answer(self, question: str) -> Answer:
        import time

        started = time.perf_counter()
        found = self.store.similarity_search_with_relevance_scores(question, k=5)
        out = Answer(question=question, answer="", refused=not found)
        if found:
            top, _ = found[0]
            meta = top.metadata
            start = int(meta.get("start_index", 0))
            out.citations = [
                Citation(1, meta["doc_id"], self.titles.get(meta["doc_id"], meta["doc_id"]), None, meta["chunk_id"],
                         start, start + len(top.page_content), top.page_content)
            ]
            out.answer = f"{top.page_content} [1]"
            out.retrieved = [Retrieved(d.metadata["doc_id"], d.metadata["chunk_id"], round(s, 6)) for d, s in found]
        out.latency_ms = round((time.perf_counter() - started) * 1000, 1)
        return out
