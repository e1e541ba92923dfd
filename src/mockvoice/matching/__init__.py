"""Matching spoken words against written phrases: text normalisation, numbers said in words, paraphrase
rules, and the phrase finder. Depends on nothing else in mockvoice.
"""
