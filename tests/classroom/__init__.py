"""Tests of the classroom mode: the quiz, presenter paths, prompts and handouts.

A package (unlike tests/pages), so its module names cannot clash with test files of the same name elsewhere.
"""
