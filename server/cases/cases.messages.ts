// Interface texts of cases, English and Dutch.
export const en = {} as const;

export const nl: Record<keyof typeof en, string> = {};
