/** The part of negotiator (the package Apollo Server negotiates with) that gateway/ide uses. */
declare module 'negotiator' {
  interface NegotiatorRequest {
    headers: Record<string, string | string[] | undefined>;
  }
  class Negotiator {
    constructor(request: NegotiatorRequest);
    /** The preferred of `available` by the request's Accept header (undefined: none acceptable). */
    mediaType(available?: string[]): string | undefined;
  }
  export = Negotiator;
}
