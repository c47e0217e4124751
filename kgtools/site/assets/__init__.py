"""Browser assets: the theme overrides, our scripts and styles, vendored vis-network and the query app's bundle.

Nothing here reads the graph; the page builders point at these files.
"""
