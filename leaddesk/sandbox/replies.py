"""What the sandbox answers: a response per lead, and the reply document that holds them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

REJECT_MESSAGE = "Rejected by the sandbox (reject rate)"
REFUSE_DOCUMENT_MESSAGE = "The document was refused by the sandbox (refuse document)"


def success_response(fields: dict[str, str], customer_id: str) -> ET.Element:
    response = ET.Element("response", success="true")
    data = ET.SubElement(response, "data")
    ET.SubElement(data, "fname").text = fields.get("fname", "")
    ET.SubElement(data, "lname").text = fields.get("lname", "")
    ET.SubElement(data, "customer_id").text = customer_id
    return response


def failure_response(problems: list[str]) -> ET.Element:
    response = ET.Element("response", success="false")
    data = ET.SubElement(response, "data")
    for problem in problems:
        ET.SubElement(data, "error").text = problem
    return response


def reply_document(responses: list[ET.Element]) -> bytes:
    root = ET.Element("root")
    ET.SubElement(root, "responses").extend(responses)
    ET.indent(root, space="\t")
    return ('<?xml version="1.0"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()
