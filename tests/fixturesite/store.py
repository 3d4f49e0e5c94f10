"""A site's posts, with the orderings and look-ups every page needs, cached per revision."""

from __future__ import annotations

from datetime import datetime

from .content import Post


class Store:
    """The posts of one site; ``revision`` changes on every mutation.

    Not thread-safe by itself: :class:`~tests.fixturesite.server.FixtureSite` holds its
    lock around every use.
    """

    def __init__(self, posts: list[Post]) -> None:
        self._posts = {p.id: p for p in posts}
        self.revision = 0
        self._newest: list[Post] | None = None
        self._slugs: dict[str, Post] | None = None
        self._positions: dict[int, int] | None = None

    def newest_first(self) -> list[Post]:
        """All posts by publication date, newest first (listing and feed order)."""
        if self._newest is None:
            self._newest = sorted(self._posts.values(), key=lambda p: (p.date, p.id), reverse=True)
        return self._newest

    def oldest_first(self) -> list[Post]:
        """All posts oldest first (sitemap order)."""
        return self.newest_first()[::-1]

    def get(self, post_id: int) -> Post | None:
        """The post with this id, if any."""
        return self._posts.get(post_id)

    def by_slug(self, slug: str) -> Post | None:
        """The post with this slug, if any."""
        if self._slugs is None:
            self._slugs = {p.slug: p for p in self._posts.values()}
        return self._slugs.get(slug)

    def position(self, post_id: int) -> int:
        """Where a post sits in :meth:`newest_first` (0 is the newest)."""
        if self._positions is None:
            self._positions = {p.id: k for k, p in enumerate(self.newest_first())}
        return self._positions[post_id]

    def put(self, post: Post) -> None:
        """Add a post or replace the one with its id."""
        self._posts[post.id] = post
        self.revision += 1
        self._newest = self._slugs = self._positions = None

    def latest_modified(self) -> datetime:
        """The newest ``modified`` time of any post: the site-wide Last-Modified of feeds."""
        return max(p.modified for p in self._posts.values())

    def __len__(self) -> int:
        return len(self._posts)
