"""Oscar's thumbnail hook without sorl-thumbnail (not a dependency of this project)."""

from oscar.core.thumbnails import AbstractThumbnailer


class OriginalImage(AbstractThumbnailer):
    """Serves the original picture as the "thumbnail": no resizing and no key-value store
    lookups, so the stock shop is, if anything, a little faster than with sorl-thumbnail."""

    def generate_thumbnail(self, source, **opts):
        return source

    def delete_thumbnails(self, source):
        pass
