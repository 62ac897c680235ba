/** A sentence the engineer reads, in English and Chinese. A TopkeError is one. */
export interface Bilingual {
  message: string;
  messageCn: string;
}

/** Text that reads the same in both languages: a command, its output, a system's own words. */
export const same = (text: string): Bilingual => ({ message: text, messageCn: text });

/** One sentence per line, in each language. */
export function joinLines(items: Bilingual[]): Bilingual {
  return {
    message: items.map((i) => i.message).join('\n'),
    messageCn: items.map((i) => i.messageCn).join('\n'),
  };
}

/** Applies `change` (a redactor, say) to both languages. */
export function mapBoth(text: Bilingual, change: (s: string) => string): Bilingual {
  return { message: change(text.message), messageCn: change(text.messageCn) };
}
