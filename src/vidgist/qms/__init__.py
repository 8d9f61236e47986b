"""Query generation for micro-videos (QMS): the zero-shot and trained generators, checkpoint reading,
item encoding and beam search. Inference only: training lives in vidgist.train."""
