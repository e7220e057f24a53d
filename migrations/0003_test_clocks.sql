CREATE TABLE "test_clocks" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"frozen_time" timestamp with time zone NOT NULL,
	"name" text,
	"status" text DEFAULT 'ready' NOT NULL,
	"advance_lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "test_clocks_status_check" CHECK ("test_clocks"."status" in ('ready', 'advancing'))
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD COLUMN "test_clock_id" text;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "test_clock_id" text;--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "test_clock_id" text;--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "test_clocks" ADD CONSTRAINT "test_clocks_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "test_clocks_partner_idx" ON "test_clocks" USING btree ("partner_id","id");--> statement-breakpoint
ALTER TABLE "access_tokens" ADD CONSTRAINT "access_tokens_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_tokens_test_clock_idx" ON "access_tokens" USING btree ("test_clock_id") WHERE "access_tokens"."test_clock_id" is not null;--> statement-breakpoint
CREATE INDEX "accounts_test_clock_idx" ON "accounts" USING btree ("test_clock_id") WHERE "accounts"."test_clock_id" is not null;--> statement-breakpoint
CREATE INDEX "enrollments_test_clock_idx" ON "enrollments" USING btree ("test_clock_id","expires_at") WHERE "enrollments"."test_clock_id" is not null;