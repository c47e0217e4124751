"""The MkDocs side of the site: the plugin, where its graph comes from, navigation, search, the build.

Takes a graph folder (or compiles one for a plain `mkdocs build`); gives
MkDocs the generated pages of both languages. Imports the page builders of
`kgtools.site.pages` and the assets of `kgtools.site.assets`.
"""
