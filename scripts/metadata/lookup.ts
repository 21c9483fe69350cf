// Where things live in force-app, and finding them in the parsed package.
import type { FieldMeta, MetadataBundle } from './model.ts';

export const PACKAGE_ROOT = 'force-app/main/default';

export function fieldPath(object: string, name: string): string {
  return `${PACKAGE_ROOT}/objects/${object}/fields/${name}.field-meta.xml`;
}

export function recordTypePath(object: string, name: string): string {
  return `${PACKAGE_ROOT}/objects/${object}/recordTypes/${name}.recordType-meta.xml`;
}

export function permissionSetPath(name: string): string {
  return `${PACKAGE_ROOT}/permissionsets/${name}.permissionset-meta.xml`;
}

export function findField(bundle: MetadataBundle, object: string, name: string): FieldMeta | undefined {
  return bundle.fields.find((field) => field.object === object && field.name === name);
}

/** True when the file exists but could not be parsed, so "missing" would mislead. */
export function failedToParse(bundle: MetadataBundle, file: string): boolean {
  return bundle.parseProblems.some((problem) => problem.file === file);
}
