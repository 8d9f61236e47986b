"""Query-focused and generic summarization: evidence, shots (KTS), key-shot selection, the Summarizer and
its outputs."""
