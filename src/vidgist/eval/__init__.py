"""Evaluation with the field's reference protocols; numpy/scipy only, nothing of the pipeline.

- :mod:`vidgist.eval.summary`     key-shot F-score (eccv16, mean/max over users), Kendall tau /
  Spearman rho (Otani et al. 2019), the TVSum human baseline;
- :mod:`vidgist.eval.highlights`  QVHighlights MR/HL (Moment-DETR standalone_eval), TVSum top-5 mAP;
- :mod:`vidgist.eval.qfvs`        QFVS semantic P/R/F1 (Sharghi et al. 2017);
- :mod:`vidgist.eval.text`        BLEU-1..4, ROUGE-L, CIDEr-D (coco-caption scorers), tokenisation;
- :mod:`vidgist.eval.retrieval`   R@k / P@k / Acc@k of searching generated summaries (QMS Table V);
- :mod:`vidgist.eval.results`     results records (dataset, split, setting, aggregation, seed,
  selection rule, version, git commit), written atomically.

Import the submodules directly; this package imports nothing so that ``import vidgist.eval`` is free.
"""
