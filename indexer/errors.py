"""Errors raised while turning files into articles."""


class ArticleError(Exception):
    """A file that cannot be read as an article; carries the path and a short reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
