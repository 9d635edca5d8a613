"""Work, chapter and series pages, one module per subject. Views are thin: access_*, a form,
one do_*, a response."""
