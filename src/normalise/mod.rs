//! Normalise: views of a post's text that matching can trust, mapped back to original bytes.
