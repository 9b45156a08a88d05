"""The help centre: articles in 36 languages and retrieval over them."""
