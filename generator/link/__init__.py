"""Link stage: the loaded records as one registry graph, every identifier resolved."""
