"""``diagram-dsl diff``: what changed in the flows between two revisions, for a pull request.

``revisions`` reads a revision's flow sources out of git (blob by blob, no checkout, no hooks) and loads them the
way ``check`` does; ``compare`` lines the two catalogs up flow by flow and message by message; ``report`` writes
text, Markdown or JSON; ``picture`` draws one image per changed flow with the native renderer: additions green,
removals red ghosts, relabels amber.
"""
