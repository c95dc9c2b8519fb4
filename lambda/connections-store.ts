import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ConnectionAttributes } from '../src/wire-contract';

/** One row of the connections table, as the AWS sample wrote it. */
export interface ConnectionRow {
  readonly connectionId: string;
  readonly userId: string;
  /** Epoch seconds after which DynamoDB's TTL may remove a row that $disconnect never deleted. */
  readonly removedAt: number;
}

/** The connections table, through a DynamoDB client given by the caller (real in Lambda, dynalite in tests). */
export class ConnectionsStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  /** A single PutItem: DynamoDB writes all of the row or none of it. */
  async putConnection(row: ConnectionRow): Promise<void> {
    await this.client.send(new PutItemCommand({
      TableName: this.tableName,
      Item: {
        [ConnectionAttributes.CONNECTION_ID]: { S: row.connectionId },
        [ConnectionAttributes.USER_ID]: { S: row.userId },
        [ConnectionAttributes.REMOVED_AT]: { N: String(row.removedAt) },
      },
    }));
  }

  /** Deleting a row that is not there succeeds, so $disconnect and 410 cleanup are idempotent. */
  async deleteConnection(connectionId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { [ConnectionAttributes.CONNECTION_ID]: { S: connectionId } },
    }));
  }
}
