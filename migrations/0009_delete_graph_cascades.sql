-- The delete graph, decided once in the schema (src/db/ownership.ts): the rows that die with
-- their partner, account, test clock or enrollment go with it through ON DELETE CASCADE, in
-- place of the hand-written delete lists of the bootstrap file and of test clocks. Enrollments'
-- own foreign keys stay NO ACTION: enrollments are deleted only on purpose.
--
-- Each foreign key is dropped and added again with ON DELETE CASCADE (same name, same columns)
-- in ONE ALTER TABLE per table. That locks the table and the parent it references until the
-- migrations commit, and nothing here scans a table, so the locks last milliseconds. NOT VALID
-- is what skips the scan: the constraint it replaces, in the same statement under the same
-- lock, held for every existing row, and new rows are checked as before. (A VALIDATE here would
-- scan each table while the migrations' transaction still holds those locks; run later on its
-- own, VALIDATE CONSTRAINT blocks no one.)
ALTER TABLE "access_tokens"
  DROP CONSTRAINT "access_tokens_partner_id_partners_id_fk",
  ADD CONSTRAINT "access_tokens_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID,
  DROP CONSTRAINT "access_tokens_account_id_accounts_id_fk",
  ADD CONSTRAINT "access_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action NOT VALID,
  DROP CONSTRAINT "access_tokens_test_clock_id_test_clocks_id_fk",
  ADD CONSTRAINT "access_tokens_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "accounts"
  DROP CONSTRAINT "accounts_test_clock_id_test_clocks_id_fk",
  ADD CONSTRAINT "accounts_test_clock_id_test_clocks_id_fk" FOREIGN KEY ("test_clock_id") REFERENCES "public"."test_clocks"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "authorization_codes"
  DROP CONSTRAINT "authorization_codes_partner_id_partners_id_fk",
  ADD CONSTRAINT "authorization_codes_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID,
  DROP CONSTRAINT "authorization_codes_account_id_accounts_id_fk",
  ADD CONSTRAINT "authorization_codes_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "events"
  DROP CONSTRAINT "events_partner_id_partners_id_fk",
  ADD CONSTRAINT "events_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID,
  DROP CONSTRAINT "events_enrollment_id_enrollments_id_fk",
  ADD CONSTRAINT "events_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "idempotency_keys"
  DROP CONSTRAINT "idempotency_keys_partner_id_partners_id_fk",
  ADD CONSTRAINT "idempotency_keys_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "promotions"
  DROP CONSTRAINT "promotions_partner_id_partners_id_fk",
  ADD CONSTRAINT "promotions_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "refresh_tokens"
  DROP CONSTRAINT "refresh_tokens_partner_id_partners_id_fk",
  ADD CONSTRAINT "refresh_tokens_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID,
  DROP CONSTRAINT "refresh_tokens_account_id_accounts_id_fk",
  ADD CONSTRAINT "refresh_tokens_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "task_usage"
  DROP CONSTRAINT "task_usage_enrollment_id_enrollments_id_fk",
  ADD CONSTRAINT "task_usage_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "test_clocks"
  DROP CONSTRAINT "test_clocks_partner_id_partners_id_fk",
  ADD CONSTRAINT "test_clocks_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "usage_counters"
  DROP CONSTRAINT "usage_counters_enrollment_id_enrollments_id_fk",
  ADD CONSTRAINT "usage_counters_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "usage_idempotency_keys"
  DROP CONSTRAINT "usage_idempotency_keys_enrollment_id_enrollments_id_fk",
  ADD CONSTRAINT "usage_idempotency_keys_enrollment_id_enrollments_id_fk" FOREIGN KEY ("enrollment_id") REFERENCES "public"."enrollments"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
--> statement-breakpoint
ALTER TABLE "webhook_endpoints"
  DROP CONSTRAINT "webhook_endpoints_partner_id_partners_id_fk",
  ADD CONSTRAINT "webhook_endpoints_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action NOT VALID;
