"""Query-focused and generic summarization: evidence, shots (KTS), key-shot selection, the Summarizer and
its outputs."""

#: the summary length, as a ratio of the video, when neither a budget nor a cap in seconds is given
#: (here, not in ``pipeline``, so the command line can name it in its help without importing numpy)
DEFAULT_BUDGET = 0.15
