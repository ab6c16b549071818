"""The one guarded path from a channel to the model and to the audit store (docs/pipeline.md).

    identify → input guard (each unit and the assembled text) → retrieve → passage
    screen (text with title and heading) → prompt → audit intent → model → output
    guard (sliding window, then the whole answer) → audit record

Modules, one step each: `contracts` (what channels hand in and get back), `fields` (the
units of a request), `input_guard`, `split_values`, `passages`, `retrieval`, `prompting`,
`intent`, `output_guard`, `core` (`Pipeline`, the order of the steps), `chat` (the
pass-through chat of the OpenAI API), `task_specs`/`tasks` (the municipal tasks),
`threads` and `purpose`.

Nothing is imported here: `service.settings` reads `pipeline.purpose`, and the steps
read the settings' neighbours (service.llm), so an eager import would be circular.
"""
