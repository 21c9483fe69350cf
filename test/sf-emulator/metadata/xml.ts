// One configuration of fast-xml-parser for every Metadata API document the emulator reads or writes.
// Leaves stay strings (the converters decide what is a number or a boolean) and the elements that
// repeat in Salesforce's schema always come back as arrays, even when a file holds only one.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

const REPEATED_ELEMENTS = new Set([
  'fields', 'recordTypes', 'value', 'picklistValues', 'values', 'fieldPermissions', 'objectPermissions',
  'recordTypeVisibilities', 'userPermissions', 'types', 'members',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => REPEATED_ELEMENTS.has(name),
});

/** Parses an XML document; throws the parser's error for text that is not well-formed XML. */
export function parseXml(xml: string): Record<string, unknown> {
  return parser.parse(xml, true) as Record<string, unknown>;
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, format: false });

/** Serialises an object tree; `@_name` keys become attributes, arrays repeat their element. */
export function buildXml(tree: Record<string, unknown>): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' + (builder.build(tree) as string);
}
