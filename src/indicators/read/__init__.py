"""Reading: raw documents and their registry, sentences with their line map, numbers, quantity
mentions, the reading vocabulary and catalog, resolution into observations, outcomes in words,
provenance and recall.
"""
