/**
 * Typed reads of one Cognito JSON request body, refusing a missing or mistyped member with the
 * InvalidParameterException Cognito sends.
 */
import { CognitoErrors } from './cognito-error';

export class CognitoRequest {
  constructor(private readonly body: Record<string, unknown>) {}

  /** A required, non-empty string member. */
  string(member: string): string {
    const value = this.body[member];
    if (typeof value !== 'string' || value.length === 0) throw CognitoErrors.memberNull(member);
    return value;
  }

  optionalString(member: string): string | undefined {
    const value = this.body[member];
    return typeof value === 'string' ? value : undefined;
  }

  optionalBoolean(member: string): boolean | undefined {
    const value = this.body[member];
    return typeof value === 'boolean' ? value : undefined;
  }

  optionalNumber(member: string): number | undefined {
    const value = this.body[member];
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  }

  /** A string map such as `AuthParameters` or `ChallengeResponses`; only its string values are kept. */
  parameters(member: string): ReadonlyMap<string, string> {
    const value = this.body[member];
    const parameters = new Map<string, string>();
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [name, entry] of Object.entries(value)) {
        if (typeof entry === 'string') parameters.set(name, entry);
      }
    }
    return parameters;
  }

  /** An attribute list (`[{ Name, Value }]`) as a map; an entry without a string name or value is refused. */
  attributes(member: string): Map<string, string> {
    const value = this.body[member];
    if (value === undefined || value === null) return new Map();
    if (!Array.isArray(value)) throw CognitoErrors.invalidParameter(`${member} must be a list of attributes`);
    const attributes = new Map<string, string>();
    for (const entry of value as unknown[]) {
      const { Name: name, Value: attributeValue } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof name !== 'string' || name.length === 0) throw CognitoErrors.invalidParameter(`${member}: every attribute needs a Name`);
      attributes.set(name, typeof attributeValue === 'string' ? attributeValue : '');
    }
    return attributes;
  }

  /** A list of strings (`AttributesToGet`), or undefined when absent. */
  optionalStrings(member: string): string[] | undefined {
    const value = this.body[member];
    return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : undefined;
  }
}

/** A required entry of `AuthParameters` or `ChallengeResponses`. */
export function requiredParameter(parameters: ReadonlyMap<string, string>, name: string): string {
  const value = parameters.get(name);
  if (value === undefined || value.length === 0) throw CognitoErrors.missingParameter(name);
  return value;
}
