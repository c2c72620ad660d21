// Form input for editing a framework, turned into the study file's shapes.
import { z } from 'zod';
import { KINDS, POLARITIES } from '../studyfile/studyfile.schema.ts';

const optional = (max: number) => z.string().trim().max(max).default('');
const revision = z.coerce.number().int().min(0);
const levelNumber = z.coerce.number({ message: 'form.invalid' }).int('form.invalid').min(0).max(99);

export const titleSchema = z.object({ title: z.string().trim().max(300) });
export const revisionSchema = z.object({ revision });

export const levelSchema = z.object({
  revision,
  number: levelNumber,
  name: z.string().trim().min(1).max(300),
  description: optional(20_000),
});

export const categorySchema = z.object({
  revision,
  key: z.string().trim().min(1).max(50),
  level: levelNumber,
  name: z.string().trim().min(1).max(300),
});

/** Anchors arrive as anchor_1 … anchor_N; empty ones are left out. */
export const conditionSchema = z
  .object({
    revision,
    code: z.string().trim().min(1).max(30),
    name: z.string().trim().min(1).max(300),
    level: levelNumber,
    category: optional(50),
    parent: optional(30),
    kind: z.enum(KINDS),
    polarity: z.enum(POLARITIES),
    description: optional(20_000),
    assessedOn: optional(20_000),
  })
  .catchall(z.unknown());

export const relationSchema = z.object({
  revision,
  from: z.string().trim().min(1).max(30),
  to: z.string().trim().min(1).max(30),
  note: optional(5_000),
  feedback: z.literal('on').optional(),
});

/** Members as codes separated by commas or spaces. */
export const groupingSchema = z.object({
  revision,
  key: z.string().trim().min(1).max(50),
  name: z.string().trim().min(1).max(300),
  members: z
    .string()
    .trim()
    .min(1)
    .max(2_000)
    .transform((v) => v.split(/[\s,;]+/).filter(Boolean)),
  reason: optional(5_000),
});

export function anchorsFrom(body: Record<string, unknown>, min: number, max: number): Record<string, string> {
  const anchors: Record<string, string> = {};
  for (let score = min; score <= max; score++) {
    const value = body[`anchor_${score}`];
    if (typeof value === 'string' && value.trim()) anchors[String(score)] = value.trim().slice(0, 5_000);
  }
  return anchors;
}
