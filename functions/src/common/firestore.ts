// Typed Firestore references: one zod schema per collection gives both the TypeScript type and a converter
// that validates every document read, so a malformed document written in the console fails loudly at the
// boundary instead of deep inside a service.
import type {
  CollectionReference,
  DocumentData,
  DocumentReference,
  FirestoreDataConverter,
  QueryDocumentSnapshot,
} from "firebase-admin/firestore";
import type { z } from "zod";
import { db } from "./firebase";
import { describeIssues, summarise } from "./validation";

export class InvalidDocumentError extends Error {
  constructor(
    readonly path: string,
    readonly issues: ReturnType<typeof describeIssues>,
  ) {
    super(`Invalid document ${path}: ${summarise(issues)}`);
  }
}

export function zodConverter<S extends z.ZodType>(schema: S): FirestoreDataConverter<z.output<S>> {
  return {
    toFirestore: (data) => data as DocumentData,
    fromFirestore: (snapshot: QueryDocumentSnapshot) => {
      const result = schema.safeParse(snapshot.data());
      if (!result.success) throw new InvalidDocumentError(snapshot.ref.path, describeIssues(result.error));
      return result.data;
    },
  };
}

/** A collection whose documents follow `schema`: `collectionRef(...)` and `docRef(...)` are typed. */
export function typedCollection<S extends z.ZodType, Args extends string[]>(
  schema: S,
  pathOf: (...ids: Args) => string,
) {
  const converter = zodConverter(schema);
  return {
    schema,
    path: pathOf,
    collectionRef: (...ids: Args): CollectionReference<z.output<S>> =>
      db().collection(pathOf(...ids)).withConverter(converter),
    docRef: (...idsAndDocId: [...Args, string]): DocumentReference<z.output<S>> => {
      const docId = idsAndDocId.pop() as string;
      return db()
        .collection(pathOf(...(idsAndDocId as unknown as Args)))
        .doc(docId)
        .withConverter(converter);
    },
  };
}
