"""Benchmarks for the TMDB client and its build pipeline (`make bench`; see BENCHMARKS.md).

Every figure is taken against a baseline measured in the same run (raw httpx, json.loads,
`import httpx`), and reported as a median over repetitions, because shared machines are noisy.
"""
