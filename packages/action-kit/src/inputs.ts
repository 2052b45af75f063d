/** A plain string input, trimmed: the parser for inputs whose text is taken as it is. */
export const asString = (_input: string, raw: string): string => raw.trim();
