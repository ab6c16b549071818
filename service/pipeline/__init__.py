"""The one guarded path from a channel to the model and to the audit store (docs/pipeline.md).

    identify → input guard (each unit and the assembled text) → retrieve → passage
    screen (text with title and heading) → prompt → audit intent → model → output
    guard (sliding window, then the whole answer) → audit record

Modules, one step each: `contracts` (what channels hand in and get back), `fields` (the
units of a request), `input_guard`, `split_values`, `passages`, `redaction`,
`retrieval`, `vocabulary` and `prompting`, `output_guard`, `core` (`Pipeline`, the order
of the steps and the audit intent), `chat` (the pass-through chat of the OpenAI API),
`task_specs` and `tasks` (the municipal tasks), `threads`.

Nothing is imported here, so that importing one step does not load them all.
"""
