"""Channels: how each way in speaks to the pipeline (service.pipeline) — the staff web page
(`web`), the OpenAI-compatible API (`openai`); the chat-tool bots come next. A channel
translates its protocol into pipeline calls and the pipeline's `Answer` back into its
protocol; it never scans, prompts or audits on its own. Routes in service.api call
channels; channels do not know FastAPI's routing."""
