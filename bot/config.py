"""Settings: the one place that reads the environment and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _default_corpus() -> Path:
    here = Path("../shared/corpus")
    return here.resolve() if here.is_dir() else (PROJECT_ROOT.parent / "shared" / "corpus")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(PROJECT_ROOT / ".env", ".env"), env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    corpus: Path = Field(default_factory=_default_corpus, validation_alias="WARTA_CORPUS")
    index_dir: Path = Field(default=PROJECT_ROOT / ".warta", validation_alias="WARTA_INDEX_DIR")
    embedder: str = Field(default="e5", validation_alias="WARTA_EMBEDDER")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")
    collection: str = Field(default="warta", validation_alias="WARTA_COLLECTION")
    chunk_tokens: int = Field(default=200, ge=32, le=480, validation_alias="WARTA_CHUNK_TOKENS")
    top_k: int = Field(default=5, ge=1, le=50, validation_alias=AliasChoices("WARTA_TOP_K", "WARTA_K"))
    log_level: str = Field(default="WARNING", validation_alias="WARTA_LOG_LEVEL")

    def store_config(self):
        from index.store import StoreConfig

        return StoreConfig(
            path=self.index_dir / "chroma",
            host=self.chroma_host or None,
            port=self.chroma_port,
            collection=self.collection,
        )
