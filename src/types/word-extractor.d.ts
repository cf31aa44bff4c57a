// word-extractor ships no types; only the benchmark baseline uses it.
declare module "word-extractor" {
  interface Document {
    getBody(options?: { filterUnicode?: boolean }): string;
  }
  export default class WordExtractor {
    extract(source: string | Buffer): Promise<Document>;
  }
}
