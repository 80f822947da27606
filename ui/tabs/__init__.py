"""One module per tab of the web chat: each builds its components, wires its own events and
says how to relabel them in each language. The work behind a tab lives beside it in `ui/`
(`ui/chat.py` for the ask tab, `ui/upload.py` for the upload tab); `ui/app.py` puts the tabs
together and wires what crosses between them."""
