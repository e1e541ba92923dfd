"""The rehearsal flows (mock, drill, study) that put recorder, recognizer, analysis and interviewer
together.
"""
