"""One router per resource: health, summaries (jobs and their outputs), search (the library), page."""
