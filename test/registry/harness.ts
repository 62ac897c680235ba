/** Has Chinese characters: the Chinese sentence is really there, not the English one twice. */
export const CHINESE = /[\u4e00-\u9fff]/;
