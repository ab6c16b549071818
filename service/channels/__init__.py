"""Channels: the ways staff reach the one guarded pipeline. The chat-tool bots
(`slack`, `teams`, `lineworks`, `webhook`) are thin adapters: they verify the platform's signature,
map the chat user to a staff member and hand the text to `_pipeline`, the only module here
that calls the assistant. `bots.mount_bots` adds the configured bots' routes to the app."""
