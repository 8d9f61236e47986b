"""Small helpers every layer may use: atomic writes, caches, progress bars, memory trimming, knapsack."""
