//! Reuters-21578 TOPICS codes mapped onto IPTC Media Topics, so the source's
//! own codes can check the classifier.

/// The IPTC label for a Reuters-21578 TOPICS code (`crude`, `earn`, `acq`,
/// with or without the `reuters:` prefix). All of these codes are economic;
/// `None` for codes outside the collection's list.
pub fn reuters_code_topic(code: &str) -> Option<&'static str> {
    let code = code.strip_prefix("reuters:").unwrap_or(code);
    Some(match code {
        "earn" => "corporate earnings",
        "acq" => "merger or acquisition",
        "crude" | "nat-gas" | "fuel" | "gas" | "heat" | "propane" | "jet" | "naphtha"
        | "pet-chem" => "oil and gas",
        "money-fx" | "dlr" | "yen" | "dmk" | "stg" | "nkr" | "dfl" | "rand" | "austdlr" | "can"
        | "sfr" | "ringgit" | "rupiah" | "lit" | "peseta" | "escudo" | "drachma" | "kroner"
        | "cruzado" => "foreign exchange market",
        "interest" => "interest rates",
        "money-supply" => "monetary policy",
        "trade" => "international trade",
        "grain" | "wheat" | "corn" | "barley" | "oat" | "rice" | "sorghum" | "rye" | "soybean"
        | "soy-meal" | "soy-oil" | "oilseed" | "rapeseed" | "sunseed" | "sun-oil" | "sun-meal"
        | "cotton" | "cotton-oil" | "coconut" | "coconut-oil" | "copra-cake" | "palm-oil"
        | "palmkernel" | "palm-meal" | "groundnut" | "groundnut-oil" | "groundnut-meal"
        | "castor-oil" | "castor-meal" | "castorseed" | "linseed" | "lin-oil" | "lin-meal"
        | "flaxseed" | "rape-oil" | "rape-meal" | "meal-feed" | "veg-oil" | "cocoa" | "coffee"
        | "sugar" | "tea" | "orange" | "citruspulp" | "potato" | "livestock" | "l-cattle"
        | "hog" | "pork-belly" | "carcass" | "wool" | "silk" | "rubber" | "lumber" | "f-cattle"
        | "red-bean" | "fishmeal" | "plywood" | "tapioca" | "corn-oil" | "cornglutenfeed"
        | "cotton-meal" | "cottonseed" | "lupin" | "tung" | "tung-oil" => "agriculture",
        "gold" | "silver" | "platinum" | "palladium" => "precious material",
        "copper" | "zinc" | "lead" | "tin" | "nickel" | "alum" | "iron-steel"
        | "strategic-metal" => "metal",
        "ship" => "waterway and maritime transport",
        "cpi" | "wpi" => "inflation",
        "gnp" => "gross domestic product",
        "ipi" | "cpu" => "industrial production",
        "bop" => "balance of trade",
        "jobs" => "employment statistics",
        "retail" => "retail",
        "housing" => "residential real estate",
        "income" | "inventories" | "instal-debt" | "lei" => "economic trends and indicators",
        "reserves" => "central bank",
        "nzdlr" | "hk" | "bfr" | "dkr" | "mexpeso" | "skr" | "ffr" | "austral" | "saudriyal"
        | "singdlr" => "foreign exchange market",
        _ => return None,
    })
}
