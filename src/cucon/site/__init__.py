"""The site build as a package: settings, templates, context, pages, newsletter, search index, writer and :class:`~cucon.site.build.SiteBuild`."""
