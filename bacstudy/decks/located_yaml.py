"""YAML loading that remembers the line of every value.

PyYAML's safe loader returns plain data without positions and silently keeps
the last of two equal keys. Deck errors must name file and line, and a
duplicated key is an authoring mistake, so the document is composed into
nodes (safe tags only) and converted here, recording each path's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

YamlPath = tuple[str | int, ...]


@dataclass
class LocatedYaml:
    value: Any = None
    # Line (1-based) of each path; for a mapping entry, the line of its key.
    lines: dict[YamlPath, int] = field(default_factory=dict)
    # (line, path, message) for problems found while loading.
    problems: list[tuple[int, YamlPath, str]] = field(default_factory=list)

    def line_of(self, path: YamlPath) -> int:
        """The line of ``path``, or of its nearest ancestor that exists (for a missing key)."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def load_located(text: str) -> LocatedYaml:
    result = LocatedYaml()
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        if node is not None:
            result.value = _convert(loader, node, (), result)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        result.problems.append((line, (), f"YAML syntax error: {error.problem or error}"))
        result.value = None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, error.position) + 1
        result.problems.append(
            (line, (), f"character U+{error.character:04X} is not allowed in YAML")
        )
        result.value = None
    finally:
        if loader is not None:
            loader.dispose()
    return result


def _convert(loader: yaml.SafeLoader, node: yaml.Node, path: YamlPath, out: LocatedYaml) -> Any:
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                out.problems.append((line, path, f"keys must be text, not {key!r}"))
                continue
            if key in mapping:
                out.problems.append((line, (*path, key), f"duplicate key {key!r}"))
                continue
            out.lines[(*path, key)] = line
            mapping[key] = _convert(loader, value_node, (*path, key), out)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, (*path, i), out) for i, item in enumerate(node.value)]
    return loader.construct_object(node)
