"""The HTTP stack: the lean pools (`_http11` for TMDB, `_async_pool` for AsyncTMDB), their response reader
(`_reader`, llhttp through httptools) and bounded decoding (`_decode`), the retry layer (`retry`) and the
plumbing the cache and rate-limit layers share (`_layers`). Public names are re-exported by `tmdb_sdk`."""
