"""Servers: another place a job spec runs (ARCHITECTURE.md, Remote engines).

config.py    the servers the user added (kind, name, URL, TLS), their keys kept apart in an owner-only file, and the
             checks on a URL (no credentials in it, a warning for plain http to another machine)
http.py      one HTTP request on the stdlib: connect/read timeouts, TLS verification, no redirect to another host,
             Stop closes the socket; every failure one sentence naming the server
sse.py       reading a text/event-stream (and Ollama's JSON lines) from the raw bytes as they arrive
openai_text.py  an OpenAI-compatible text server (llama.cpp, vLLM, LM Studio, Ollama): test/list models, stream a
             completion or a chat reply with every sampling parameter in the server's own dialect
speech.py    a speech server (Piper's HTTP server, or an OpenAI-style /v1/audio/speech): test/list voices, one sentence
             of WAV audio per request
comfyui.py   a ComfyUI server: its version, checkpoints and nodes, uploads, one graph followed over /ws to its results
             in /history (previews, progress, Stop by /queue delete or /interrupt, reconnects without loss)
comfyui_graphs.py  our image modes as graphs of ComfyUI's core nodes, and which modes a server's /object_info allows
websocket.py a minimal RFC 6455 reader (ComfyUI's /ws) that connects as http.py does
probing.py   testing a server of any kind (one probe per kind), shared by the Settings dialog and `aigc servers test`
entries.py   a server's models as registry entries ("server:NAME/MODEL" ids), from what the last test listed

No Qt, and no network at import: the engines (core/engines/text_openai.py, image_comfyui.py, speech_server.py) do
their I/O on the worker thread.
"""
