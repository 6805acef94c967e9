"""The book's Sphinx plumbing: the extension, chapter execution and cache keys, the bibliography style, the site's address, what moved between builds."""
