import {
  AttributeValue, DeleteItemCommand, DynamoDBClient, PutItemCommand, QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { ConnectionAttributes } from '../src/wire-contract';

/** One row of the connections table: the AWS sample's attributes, and the expiry of the token that opened it. */
export interface ConnectionRow {
  readonly connectionId: string;
  readonly userId: string;
  /** Epoch seconds after which DynamoDB's TTL may remove a row that $disconnect never deleted. */
  readonly removedAt: number;
  /** The token's `exp`, epoch seconds; the row is then also written to `expiryIndex` under its minute. */
  readonly expiresAt?: number;
}

/** A connection whose token expires in a given minute, as `expiryIndex` lists it. */
export interface ExpiringConnection {
  readonly connectionId: string;
  readonly expiresAt: number;
}

/** The minute (since the epoch) in which an epoch second falls: `expiryIndex`'s partition key. */
export function minuteOf(epochSeconds: number): number {
  return Math.floor(epochSeconds / 60);
}

/** The connections table, through a DynamoDB client given by the caller (real in Lambda, dynalite in tests). */
export class ConnectionsStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  /** A single PutItem: DynamoDB writes all of the row or none of it. */
  async putConnection(row: ConnectionRow): Promise<void> {
    const item: Record<string, AttributeValue> = {
      [ConnectionAttributes.CONNECTION_ID]: { S: row.connectionId },
      [ConnectionAttributes.USER_ID]: { S: row.userId },
      [ConnectionAttributes.REMOVED_AT]: { N: String(row.removedAt) },
    };
    if (row.expiresAt !== undefined) {
      item[ConnectionAttributes.EXPIRES_AT] = { N: String(row.expiresAt) };
      item[ConnectionAttributes.EXPIRY_MINUTE] = { N: String(minuteOf(row.expiresAt)) };
    }
    await this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item }));
  }

  /** Deleting a row that is not there succeeds, so $disconnect and 410 cleanup are idempotent. */
  async deleteConnection(connectionId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({
      TableName: this.tableName,
      Key: { [ConnectionAttributes.CONNECTION_ID]: { S: connectionId } },
    }));
  }

  /**
   * How many connections of `userId` are live at `nowSeconds`: rows on `userIdIndex` whose token has not expired
   * (a row written before expiries were recorded counts as live). Reads every page; an index read is eventually
   * consistent, so a row written a moment ago may not be counted yet.
   */
  async countLiveConnections(userId: string, nowSeconds: number): Promise<number> {
    let count = 0;
    let exclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: ConnectionAttributes.USER_ID_INDEX,
        KeyConditionExpression: '#userId = :userId',
        FilterExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt > :now',
        ExpressionAttributeNames: { '#userId': ConnectionAttributes.USER_ID, '#expiresAt': ConnectionAttributes.EXPIRES_AT },
        ExpressionAttributeValues: { ':userId': { S: userId }, ':now': { N: String(nowSeconds) } },
        Select: 'COUNT',
        ExclusiveStartKey: exclusiveStartKey,
      }));
      count += page.Count ?? 0;
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return count;
  }

  /** Every connection listed on `expiryIndex` under `minute`, all pages. */
  async connectionsExpiringIn(minute: number): Promise<ExpiringConnection[]> {
    const found: ExpiringConnection[] = [];
    let exclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.tableName,
        IndexName: ConnectionAttributes.EXPIRY_INDEX,
        KeyConditionExpression: '#minute = :minute',
        ExpressionAttributeNames: { '#minute': ConnectionAttributes.EXPIRY_MINUTE },
        ExpressionAttributeValues: { ':minute': { N: String(minute) } },
        ExclusiveStartKey: exclusiveStartKey,
      }));
      for (const item of page.Items ?? []) {
        const connectionId = item[ConnectionAttributes.CONNECTION_ID]?.S;
        const expiresAt = Number(item[ConnectionAttributes.EXPIRES_AT]?.N);
        if (connectionId !== undefined && Number.isFinite(expiresAt)) found.push({ connectionId, expiresAt });
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return found;
  }
}
