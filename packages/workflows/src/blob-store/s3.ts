import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore, ByteBlobStore } from '../matching-run/contract.ts';

/** The blob store in AWS: one object per key in a bucket of the stage (matching blobs, certificates). */
export class S3BlobStore implements BlobStore, ByteBlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async putJson(key: string, value: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: 'application/json',
      }),
    );
  }

  async putBytes(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`Blob ${key} in ${this.bucket} has no body`);
    return Body.transformToByteArray();
  }

  async getJson<T>(key: string): Promise<T> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`Blob ${key} in ${this.bucket} has no body`);
    return JSON.parse(await Body.transformToString()) as T;
  }
}
