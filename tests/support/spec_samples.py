"""The SecurityTrax "Creating Leads" page's own examples, verbatim (tabs and all)."""

SPEC_SAMPLE_REQUEST = b"""<?xml version="1.0" standalone="yes"?>
<leads>
	<lead>
		<source_id>Partner ID</source_id>
		<campaign_id/>
		<lead_type_id/>
		<lead_purchase_price>27.50</lead_purchase_price>
		<fname>Sue</fname>
		<lname>Stallman</lname>
		<address1>290 Market Road</address1>
		<address2/>
		<city>Notus</city>
		<state>ID</state>
		<zip>83660</zip>
		<phone1>8013127735</phone1>
		<phone2>8013678735</phone2>
		<phone3>8013674735</phone3>
		<phone4>8013679735</phone4>
		<email>goodgrillz@myemail.net</email>
		<lead_comments>I am looking for quotes and ready to buy!</lead_comments>
		<contact_time>Noon</contact_time>
		<lead_source_info>Cold Call</lead_source_info>
		<lead_company_unique_id>00001A321</lead_company_unique_id>
		<lead_home_ownership>rent</lead_home_ownership>
		<lead_callcenter_rep>Joe Rogers</lead_callcenter_rep>
		<lead_callcenter_notes>They are very interested</lead_callcenter_notes>
		<lead_promo_code>ABCDE</lead_promo_code>
		<lead_custom1>this is custom1</lead_custom1>
		<lead_custom2>this is custom2</lead_custom2>
		<lead_custom3>this is custom3</lead_custom3>
		<lead_custom4>this is custom4</lead_custom4>
		<spouse>Mary</spouse>
		<lead_rep_id/>
	</lead>
	<lead>
		<source_id>1</source_id>
		<campaign_id/>
		<lead_type_id>2</lead_type_id>
		<lead_purchase_price>25.00</lead_purchase_price>
		<fname>Mike</fname>
		<lname>Smith</lname>
		<address1>28590 Market Road</address1>
		<address2>Suite 2</address2>
		<city>Parma</city>
		<state>ID</state>
		<zip>83660</zip>
		<phone1>8013677735</phone1>
		<phone2>8013678735</phone2>
		<phone3>8013674735</phone3>
		<phone4>8013679735</phone4>
		<email>msmith@myemail.net</email>
		<lead_comments>Please call soon</lead_comments>
		<contact_time>Noon</contact_time>
		<lead_source_info>Google Adwords - ABC Security</lead_source_info>
		<lead_company_unique_id>0000122322</lead_company_unique_id>
		<lead_home_ownership>rent</lead_home_ownership>
		<lead_callcenter_rep>Joe Rogers</lead_callcenter_rep>
		<lead_callcenter_notes>They are very interested</lead_callcenter_notes>
		<lead_promo_code>ABCDE</lead_promo_code>
		<lead_custom1>this is custom1</lead_custom1>
		<lead_custom2>this is custom2</lead_custom2>
		<lead_custom3>this is custom3</lead_custom3>
		<lead_custom4>this is custom4</lead_custom4>
		<spouse>Mary</spouse>
		<lead_rep_id/>
	</lead>
</leads>"""
