"""Settings: the one place that reads the environment and `.env`."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
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
    # An OpenAI-compatible embeddings endpoint, for WARTA_EMBEDDER=openai:<model>.
    embeddings_url: str | None = Field(default=None, validation_alias="WARTA_EMBEDDINGS_URL")
    embeddings_api_key: SecretStr | None = Field(default=None, validation_alias="WARTA_EMBEDDINGS_API_KEY")
    embeddings_roles: str = Field(default="input_type", validation_alias="WARTA_EMBEDDINGS_ROLES")
    embeddings_timeout: float = Field(default=60.0, gt=0, validation_alias="WARTA_EMBEDDINGS_TIMEOUT")
    chroma_host: str | None = Field(default=None, validation_alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="CHROMA_PORT")
    collection: str = Field(default="warta", validation_alias="WARTA_COLLECTION")
    max_article_bytes: int = Field(default=2_000_000, ge=1_000, validation_alias="WARTA_MAX_ARTICLE_BYTES")
    chunk_tokens: int = Field(default=200, ge=32, le=480, validation_alias="WARTA_CHUNK_TOKENS")
    top_k: int = Field(default=5, ge=1, le=50, validation_alias=AliasChoices("WARTA_TOP_K", "WARTA_K"))
    log_level: str = Field(default="WARNING", validation_alias="WARTA_LOG_LEVEL")

    # Answerer: "none" = extractive; openai / anthropic / ollama / llamacpp = generative.
    llm: str = Field(default="none", validation_alias="WARTA_LLM")
    llm_model: str | None = Field(default=None, validation_alias="WARTA_LLM_MODEL")
    llm_model_path: Path | None = Field(default=None, validation_alias="WARTA_LLM_MODEL_PATH")
    llm_timeout: float = Field(default=60.0, gt=0, validation_alias="WARTA_LLM_TIMEOUT")
    llm_temperature: float = Field(default=0.0, ge=0, le=2, validation_alias="WARTA_LLM_TEMPERATURE")
    max_context_tokens: int = Field(default=1500, ge=200, validation_alias="WARTA_MAX_CONTEXT_TOKENS")
    llm_max_tokens: int = Field(default=300, ge=16, le=8192, validation_alias="WARTA_LLM_MAX_TOKENS")
    llm_context_tokens: int | None = Field(default=None, ge=512, validation_alias="WARTA_LLM_CONTEXT_TOKENS")
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    anthropic_api_key: SecretStr | None = Field(default=None, validation_alias="ANTHROPIC_API_KEY")
    ollama_base_url: str | None = Field(default=None, validation_alias="OLLAMA_BASE_URL")

    # Conversation state: chat history in SQLite under state_dir (default: index_dir).
    state_dir: Path | None = Field(default=None, validation_alias="WARTA_STATE_DIR")
    history_turns: int = Field(default=10, ge=1, le=200, validation_alias="WARTA_HISTORY_TURNS")
    max_question_chars: int = Field(default=1000, ge=20, validation_alias="WARTA_MAX_QUESTION_CHARS")

    # Telegram.
    telegram_bot_token: SecretStr | None = Field(default=None, validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str | None = Field(default=None, validation_alias="TELEGRAM_BASE_URL")
    telegram_webhook_url: str | None = Field(default=None, validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_listen: str = Field(default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, validation_alias="TELEGRAM_WEBHOOK_PORT")
    telegram_allowed_chat_ids: str = Field(default="", validation_alias="TELEGRAM_ALLOWED_CHAT_IDS")
    telegram_rate_per_minute: int = Field(default=20, ge=1, validation_alias="TELEGRAM_RATE_PER_MINUTE")

    @field_validator("chroma_host", "embeddings_url", "llm_model", "llm_model_path", "llm_context_tokens", "openai_base_url", "ollama_base_url",
                     "telegram_base_url", "telegram_webhook_url", "state_dir", mode="before")
    @classmethod
    def _blank_is_unset(cls, value):
        # `.env.example` copied as is leaves `KEY=`: an empty value means "not set".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("openai_api_key", "anthropic_api_key", "telegram_bot_token", "embeddings_api_key", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value):
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def allowed_chat_ids(self) -> frozenset[int]:
        """Chats the Telegram bot serves; empty means every chat."""
        parts = [p.strip() for p in self.telegram_allowed_chat_ids.split(",") if p.strip()]
        try:
            return frozenset(int(p) for p in parts)
        except ValueError:
            raise ValueError(f"TELEGRAM_ALLOWED_CHAT_IDS must be comma-separated chat ids, got {self.telegram_allowed_chat_ids!r}") from None

    @property
    def state_path(self) -> Path:
        return self.state_dir or self.index_dir

    def embedder_options(self):
        from index.embeddings import EmbedderOptions

        key = self.embeddings_api_key.get_secret_value() if self.embeddings_api_key else None
        return EmbedderOptions(base_url=self.embeddings_url, api_key=key, roles=self.embeddings_roles,
                               timeout=self.embeddings_timeout)

    def store_config(self):
        from index.store import StoreConfig

        return StoreConfig(
            path=self.index_dir / "chroma",
            host=self.chroma_host or None,
            port=self.chroma_port,
            collection=self.collection,
            state=self.state_path,  # a Chroma server's lexicon mirror (index/lexicon.py) lives here
        )
