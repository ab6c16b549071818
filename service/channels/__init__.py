"""Channels: how each way in speaks to the pipeline (service.pipeline) — the staff web page
(`web`), the OpenAI-compatible API (`openai`) and the chat-tool bots (`slack`, `teams`,
`lineworks`, `webhook`). A channel translates its protocol into pipeline calls and the
pipeline's `Answer` back into its protocol; it never scans, prompts or audits on its own.
The bots verify the platform's signature, map the chat user to a staff member and hand the
text to `_pipeline`, the only bot module that calls the pipeline; `bots.mount_bots` adds
the configured bots' routes to the app. Routes in service.api call channels."""
