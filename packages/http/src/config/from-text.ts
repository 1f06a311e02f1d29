import { describeValue } from '@jobstore/core';
import { parseJson } from '../json-syntax.js';
import { SETTINGS, type SettingKey } from './settings.js';

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A setting's value from text, as an environment variable or a command-line option gives it:
 * names and addresses as they are, numbers and true/false as such, the rest as JSON. A number
 * that is not one stays text, so validation can say what it got (`got "abc"`).
 */
export function settingFromText(key: SettingKey, text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  const setting = SETTINGS[key];
  switch (setting.kind) {
    case 'text': {
      // A JSON string is taken too ("\"UTC\""), as the variables were read before.
      if (text.startsWith('"')) {
        const parsed = parseJson(text);
        if (parsed.ok && typeof parsed.value === 'string') return { ok: true, value: parsed.value };
      }
      return { ok: true, value: text };
    }
    case 'number':
      return { ok: true, value: NUMBER.test(text.trim()) ? Number(text) : text };
    case 'boolean':
      return { ok: true, value: text === 'true' ? true : text === 'false' ? false : text };
    case 'json': {
      const parsed = parseJson(text);
      if (parsed.ok) return { ok: true, value: parsed.value };
      if (/^\s*[[{"]/.test(text)) return { ok: false, reason: `invalid JSON at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.reason}` };
      return { ok: false, reason: `must be JSON: ${setting.expected}; got ${describeValue(text)}` };
    }
  }
}

/** A setting's value from text, validated: `must be an integer from 0 to 65535, got "abc"` when it is not one. */
export function settingValue(key: SettingKey, text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
  const read = settingFromText(key, text);
  if (!read.ok) return read;
  const checked = SETTINGS[key].schema.safeParse(read.value);
  return checked.success ? { ok: true, value: checked.data } : { ok: false, reason: `must be ${SETTINGS[key].expected}, got ${describeValue(read.value)}` };
}
